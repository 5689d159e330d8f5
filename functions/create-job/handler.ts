// placeholder: replaced by the real handler in this same issue
export const handler = async (): Promise<unknown> => ({});
