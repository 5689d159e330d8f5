/** The local stack's webhook secret when TECH_WEBHOOK_SECRET is not set. Never used on AWS. */
export const DEV_WEBHOOK_SECRET = 'whsec_bG9jYWwtZGV2LXdlYmhvb2stc2VjcmV0LTAx';
