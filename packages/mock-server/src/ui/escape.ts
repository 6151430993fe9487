const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}

/** Tagged template: every interpolation is escaped unless wrapped in `raw()`. */
export interface RawHtml {
  readonly __html: string;
}

export const raw = (html: string): RawHtml => ({ __html: html });

export function html(strings: TemplateStringsArray, ...values: Array<string | number | RawHtml | RawHtml[]>): RawHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    if (Array.isArray(value)) out += value.map((part) => part.__html).join('');
    else if (typeof value === 'object') out += value.__html;
    else out += escapeHtml(String(value));
    out += strings[index + 1] ?? '';
  });
  return raw(out);
}
