let answer: boolean | undefined;

/**
 * Whether this browser can draw a MapLibre map. Checked without loading MapLibre, so a device without
 * WebGL (old tablets, GPU blocklists, some kiosk browsers) never downloads it and gets the point list.
 */
export function supportsWebGl(): boolean {
  if (answer !== undefined) return answer;
  try {
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
    answer = context !== null;
    context?.getExtension('WEBGL_lose_context')?.loseContext();
  } catch {
    answer = false;
  }
  return answer;
}
