/**
 * The member token the page signs in with: given once in the address's fragment
 * (`/#token=...`, never sent to the server in a request line), then kept for the tab in
 * sessionStorage and removed from the address bar.
 */
export function sessionToken(): string | undefined {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const given = fragment.get('token');
  if (given !== null && given !== '') {
    sessionStorage.setItem('tidewatch.token', given);
    history.replaceState(null, '', location.pathname + location.search);
    return given;
  }
  return sessionStorage.getItem('tidewatch.token') ?? undefined;
}

/** fetch() on the server's JSON API, signed in. */
export async function api<T>(token: string, path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(path, { ...init, headers });
  if (!response.ok) {
    const text = await response.text();
    throw new Error(`${path}: ${response.status} ${text}`);
  }
  return (await response.json()) as T;
}
