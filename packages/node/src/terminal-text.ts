/** C0 controls (ESC, BEL, backspace, …), DEL and C1 controls: what can retitle, recolour or rewrite a terminal. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;
const LINE_BREAKS = /[\t\n\v\f\r]+/g;

/**
 * `text` safe to print on a terminal: line breaks and tabs become a space, every other control
 * character is dropped, so a server's text cannot carry ANSI/OSC sequences or fake extra lines.
 */
export function printable(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(CONTROL_CHARACTERS, '');
}
