// The HTML variant: elements marked `data-darklaunch="<flag>"` get the flag's value as their
// text (escaped), e.g. <button data-darklaunch="checkout-copy">Buy now</button>.
export function withHtmlVariant(response, flag, value) {
  if (typeof value !== 'string' && typeof value !== 'number') return response;
  if (!(response.headers.get('content-type') ?? '').toLowerCase().includes('text/html')) return response;
  return new HTMLRewriter()
    .on(`[data-darklaunch="${flag}"]`, {
      element(element) {
        element.setInnerContent(String(value));
      },
    })
    .transform(response);
}
