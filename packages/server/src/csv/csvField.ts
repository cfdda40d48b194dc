// The CSV cell rules live in core, so the web app's chart downloads neutralise cells the same way.
export { csvField, neutralizeFormula } from '@outpost/core';
