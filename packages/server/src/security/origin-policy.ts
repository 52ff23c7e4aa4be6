/**
 * Tells whether a browser `Origin` may connect. `allowedOrigins` undefined allows any origin; `'*'`
 * in it too. A request without an `Origin` header comes from a non-browser client (which can send
 * any header it likes, so origin checks do not apply to it); it passes unless `requireOrigin`.
 * Comparison is exact on scheme, host and port, case-insensitive.
 * @internal
 */
export function isOriginAllowed(
  origin: string | undefined,
  allowedOrigins: readonly string[] | undefined,
  requireOrigin: boolean,
): boolean {
  if (origin === undefined || origin === '') return !requireOrigin;
  if (allowedOrigins === undefined) return true;
  const normalized = origin.toLowerCase().replace(/\/+$/, '');
  return allowedOrigins.some(
    (allowed) => allowed === '*' || allowed.toLowerCase().replace(/\/+$/, '') === normalized,
  );
}
