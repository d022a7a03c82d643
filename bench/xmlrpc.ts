// A minimal XML-RPC client over a Unix socket: what supervisord's control interface speaks.
// Params: strings, integers, booleans; replies: any XML-RPC value.
import { request } from 'node:http';

export type XmlValue = string | number | boolean | null | XmlValue[] | { [key: string]: XmlValue };

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

function encode(value: string | number | boolean): string {
  if (typeof value === 'boolean') return `<boolean>${value ? 1 : 0}</boolean>`;
  if (typeof value === 'number') return `<int>${value}</int>`;
  return `<string>${escape(value)}</string>`;
}

export class XmlRpcFault extends Error {
  constructor(readonly faultCode: number, message: string) {
    super(message);
  }
}

export function xmlRpc(socketPath: string, method: string, params: readonly (string | number | boolean)[] = []): Promise<XmlValue> {
  const body = `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params
    .map((p) => `<param><value>${encode(p)}</value></param>`)
    .join('')}</params></methodCall>`;
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath, path: '/RPC2', method: 'POST', headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            resolve(decodeResponse(text, method));
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on('error', (error) => reject(new Error(`xml-rpc ${method} on ${socketPath}: ${error.message}`, { cause: error })));
    req.end(body);
  });
}

function decodeResponse(xml: string, method: string): XmlValue {
  // Whitespace between tags is layout, except inside <string>.
  const tokens = (xml.match(/<[^>]+>|[^<]+/g) ?? []).filter((t, k, all) => t.trim() !== '' || all[k - 1] === '<string>');
  let i = 0;
  const next = () => tokens[i++] ?? '';
  const peek = () => tokens[i] ?? '';
  const skipTo = (tag: string) => {
    while (i < tokens.length && tokens[i] !== tag) i++;
    i++;
  };
  const text = () => (peek().startsWith('<') ? '' : next());
  const value = (): XmlValue => {
    // at <value>
    next();
    if (peek() === '</value>') return (next(), '');
    if (!peek().startsWith('<')) {
      const s = unescape(next());
      next();
      return s;
    }
    const tag = next();
    let result: XmlValue;
    switch (tag) {
      case '<string>': result = unescape(text()); break;
      case '<string/>': result = ''; next(); return result;
      case '<int>': case '<i4>': result = Number(text()); break;
      case '<double>': result = Number(text()); break;
      case '<boolean>': result = text() === '1'; break;
      case '<nil/>': next(); return null;
      case '<array>': {
        skipTo('<data>');
        const items: XmlValue[] = [];
        while (peek() === '<value>') items.push(value());
        skipTo('</array>');
        next();
        return items;
      }
      case '<struct>': {
        const struct: Record<string, XmlValue> = {};
        while (peek() === '<member>') {
          next();
          next();
          const name = unescape(text());
          next();
          struct[name] = value();
          next();
        }
        next();
        next();
        return struct;
      }
      default: result = text();
    }
    next(); // closing type tag
    next(); // </value>
    return result;
  };
  const fault = xml.includes('<fault>');
  skipTo(fault ? '<fault>' : '<param>');
  if (peek() !== '<value>') throw new Error(`xml-rpc ${method}: unreadable reply: ${xml.slice(0, 200)}`);
  const result = value();
  if (fault) {
    const f = result as { faultCode?: number; faultString?: string };
    throw new XmlRpcFault(Number(f.faultCode), `xml-rpc ${method}: ${f.faultString ?? 'fault'}`);
  }
  return result;
}
