import { html, type RawHtml } from './escape.js';

const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f4f8;color:#1d2030;display:flex;flex-direction:column;align-items:center}
header{width:100%;padding:14px 24px;display:flex;align-items:center;gap:10px;background:#fff;border-bottom:1px solid #e3e5ee}
.logo{width:28px;height:28px;border-radius:8px;background:linear-gradient(135deg,#5b5bf7,#9b4df7);color:#fff;display:grid;place-items:center;font-weight:700;font-size:14px}
.brand{font-weight:650;letter-spacing:.2px}
.badge{margin-left:auto;font-size:12px;color:#6b6f85;border:1px solid #e3e5ee;border-radius:999px;padding:2px 10px}
main{width:100%;max-width:460px;padding:32px 16px}
.card{background:#fff;border:1px solid #e3e5ee;border-radius:14px;padding:28px;box-shadow:0 4px 24px rgba(20,20,60,.06)}
h1{font-size:20px;margin:0 0 6px;line-height:1.3}
.muted{color:#6b6f85;font-size:13px}
.row{display:flex;justify-content:space-between;gap:12px;padding:10px 0;border-top:1px solid #eef0f5;font-size:14px}
.row span:last-child{font-weight:600;text-align:right;word-break:break-all}
ul.scopes{list-style:none;padding:0;margin:12px 0}
ul.scopes li{padding:8px 10px;border:1px solid #eef0f5;border-radius:8px;margin-bottom:6px;font-size:14px}
ul.scopes code{font-size:12px;color:#5b5bf7;background:#f1f1fe;border-radius:4px;padding:1px 5px;margin-right:6px}
.warning{background:#fff8e6;border:1px solid #f5d78e;color:#6b4e00;border-radius:8px;padding:10px 12px;font-size:13px;margin:14px 0}
.error{background:#fdecec;border:1px solid #f2b8b8;color:#8a1c1c;border-radius:8px;padding:10px 12px;font-size:14px;margin:14px 0}
fieldset{min-width:0;border:1px solid #e3e5ee;border-radius:8px;padding:10px 12px 12px;margin:14px 0}
legend{font-size:13px;font-weight:600;padding:0 4px}
.cap{display:flex;gap:8px;align-items:center}
.cap input,.cap select,.code-input{font:inherit;padding:7px 9px;border:1px solid #cfd3e0;border-radius:7px;background:#fff}
.cap input{flex:1;min-width:0}
.cap select{flex:none}
.actions{display:flex;gap:10px;margin-top:18px}
button{flex:1;font:inherit;font-weight:600;padding:10px 14px;border-radius:8px;border:1px solid #cfd3e0;background:#fff;color:#1d2030;cursor:pointer}
button.primary{background:#5b5bf7;border-color:#5b5bf7;color:#fff}
button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #a5a5ff;outline-offset:2px}
footer{color:#8a8ea3;font-size:12px;padding:0 16px 24px;text-align:center}
`;

/** The shell every server page shares: header, one card, footer. Inline CSS only. */
export function page(title: string, body: RawHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · NanoGPT</title>
<style>${{ __html: STYLE }}</style>
</head>
<body>
<header><div class="logo" aria-hidden="true">N</div><span class="brand">NanoGPT</span><span class="badge">Mock server</span></header>
<main><div class="card">${body}</div></main>
<footer>NanoGPT mock authorization server — for development and tests only.</footer>
</body>
</html>
`.__html;
}
