// Baseline for openapi, which serves a prebuilt document and builds no client: a bare process.
export const handler = async () => ({});
