// Entity rules shared by the server and the device.
export { statusOf, statusProperty } from './caseStatus.js';
