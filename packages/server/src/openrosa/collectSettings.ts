import { deflateSync } from 'node:zlib';

/**
 * What ODK Collect's "Configure with QR code" reads: its settings JSON, zlib-deflated and Base64
 * encoded. The key travels in `server_url`, so username and password stay empty.
 */
export function collectSettings(serverUrl: string, projectName: string): string {
  const settings = {
    general: { server_url: serverUrl, username: '', password: '' },
    admin: {},
    project: { name: projectName, icon: projectName.slice(0, 1).toUpperCase() },
  };
  return deflateSync(Buffer.from(JSON.stringify(settings), 'utf8')).toString('base64');
}
