const SECRET_PARAMETERS = [
  'conversation_signature',
  'token',
  'xi-api-key',
  'xi_api_key',
  'api_key',
  'authorization',
];

/**
 * Removes credentials from a request URL before it is logged or put in an event: the values of
 * `conversation_signature`, `token` and API-key parameters become `[redacted]`.
 * @internal
 */
export function redactUrl(url: string): string {
  const question = url.indexOf('?');
  if (question < 0) return url;
  const query = url
    .slice(question + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = decodeURIComponentSafe(equals < 0 ? pair : pair.slice(0, equals)).toLowerCase();
      return SECRET_PARAMETERS.includes(name)
        ? `${pair.slice(0, equals < 0 ? pair.length : equals)}=[redacted]`
        : pair;
    })
    .join('&');
  return `${url.slice(0, question)}?${query}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
