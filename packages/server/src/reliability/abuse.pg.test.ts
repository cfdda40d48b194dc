import { createPostgresTestDatabase } from '@outpost/test-kit';
import { describeAbuseSuite } from './abuse.test.js';

// The abuse suite against a server process on PostgreSQL (issue 9: SQLite and PostgreSQL).
describeAbuseSuite('PostgreSQL', createPostgresTestDatabase);
