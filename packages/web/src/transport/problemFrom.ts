import { ApiProblem, isProblemBody } from './ApiProblem.js';

/** A refusal as an `ApiProblem`: the server's problem body, or one made up from the status. */
export async function problemFrom(response: Response): Promise<ApiProblem> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (isProblemBody(body)) return new ApiProblem(body, body);
  return new ApiProblem(
    {
      type: 'about:blank',
      title: response.statusText || `HTTP ${response.status}`,
      status: response.status,
      code: 'http.unexpected',
    },
    body,
  );
}
