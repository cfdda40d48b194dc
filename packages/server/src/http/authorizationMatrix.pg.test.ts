import { openPostgresTestStore } from '@outpost/test-kit';
import { describeAuthorizationMatrix } from './authorizationMatrix.test.js';

// The same matrix on PostgreSQL: crafted filters and guessed ids must behave the same on both
// dialects (no SQL error, no leak).
describeAuthorizationMatrix('PostgreSQL', openPostgresTestStore);
