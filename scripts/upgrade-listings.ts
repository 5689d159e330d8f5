import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { upgradeListings } from '../functions/adapters/listing-upgrade';

// The one-off after deploying the property-keyed listing indexes (docs/deploy.md): moves the jobs
// and complaints written before into their property's partitions, so the listings show them again.
//   AWS_REGION=ap-east-1 npx tsx scripts/upgrade-listings.ts home-repair-prod-table
// Needs dynamodb:Scan, GetItem, PutItem and UpdateItem on the table (an operator's role, never a
// function's). Idempotent and safe alongside traffic; it runs again when asked with --force.

const [tableName, flag] = process.argv.slice(2);
if (!tableName || (flag && flag !== '--force')) {
  console.error('usage: npx tsx scripts/upgrade-listings.ts <table name> [--force]');
  process.exit(2);
}
const client = new DynamoDBClient({});
upgradeListings(client, tableName, { force: flag === '--force' })
  .then((r) =>
    console.log(
      r.skipped ? `${tableName} was upgraded before (--force runs it again)` : `${r.rekeyed} items re-keyed`,
    ),
  )
  .finally(() => client.destroy());
