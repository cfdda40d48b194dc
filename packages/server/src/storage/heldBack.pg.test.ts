import { openPostgresTestStore } from '@outpost/test-kit';
import { describeHeldBack } from './heldBack.test-support.js';

describeHeldBack('PostgreSQL', openPostgresTestStore);
