/**
 * src/io in a webpack 5 bundle (as the lab is built), run in Chromium: on the page's main
 * thread and in a Web Worker, the Deflate decoder (pako) must load lazily (its own chunk) and
 * every decode must match the expected array byte for byte. Needs /usr/bin/chromium.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { chromium } from 'playwright-core';
import webpack from 'webpack';
import { fixtures, repoRoot } from './fixtures.js';

const fx = fixtures();
const CASES = ['uint16-zip2-tiles-be', 'float32-lzw3-strips-le', 'int16-packbits-strips-be', 'rgb-uint8-planar-zip-be', 'mask-1bit-lzw'];

let dir: string;
let server: Server;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'io-bundle-'));
  // 1. src/io compiled alone, as `npm run build:lib` does.
  execFileSync(process.execPath, [
    join(repoRoot, 'node_modules/typescript/bin/tsc'),
    '--outDir', join(dir, 'lib'), '--rootDir', join(repoRoot, 'src/io'),
    '--module', 'esnext', '--moduleResolution', 'bundler', '--target', 'es2022',
    '--skipLibCheck', '--strict', '--types', 'node', join(repoRoot, 'src/io/index.ts')
  ]);
  // 2. A page and a worker that decode base64 TIFFs and answer with the data's bytes.
  const decode = `
    import { openTiff } from './lib/index.js';
    export async function decode(b64) {
      const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
      const file = await openTiff(bytes.buffer);
      const frame = await file.readFrame(0);
      const raw = new Uint8Array(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
      let s = '';
      for (let i = 0; i < raw.length; i += 0x8000) s += String.fromCharCode(...raw.subarray(i, i + 0x8000));
      return { sampleType: frame.sampleType, height: frame.height, width: frame.width, bytes: btoa(s) };
    }`;
  writeFileSync(join(dir, 'decode.js'), decode);
  writeFileSync(join(dir, 'worker.js'), `
    import { decode } from './decode.js';
    self.onmessage = async e => {
      try { self.postMessage({ ok: await decode(e.data) }); }
      catch (err) { self.postMessage({ error: String(err && err.message) }); }
    };`);
  writeFileSync(join(dir, 'main.js'), `
    import { decode } from './decode.js';
    window.decodeMain = decode;
    window.decodeWorker = b64 => new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./worker.js', import.meta.url));
      worker.onmessage = e => { worker.terminate(); e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.ok); };
      worker.onerror = e => reject(new Error(e.message));
      worker.postMessage(b64);
    });
    window.ready = true;`);
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><script src="dist/main.js"></script>');
  // 3. webpack 5, production mode, web target.
  const stats = await new Promise<webpack.Stats>((resolve, reject) =>
    webpack(
      {
        mode: 'production',
        target: 'web',
        context: dir,
        entry: { main: join(dir, 'main.js') },
        output: { path: join(dir, 'dist'), publicPath: 'auto', clean: true },
        resolve: { modules: [join(repoRoot, 'node_modules')] },
        performance: { hints: false }
      },
      (err, s) => (err || !s ? reject(err) : resolve(s))
    )
  );
  if (stats.hasErrors()) {
    throw new Error(stats.toString({ all: false, errors: true }));
  }
  server = createServer((req, res) => {
    const file = join(dir, decodeURIComponent((req.url ?? '/').split('?')[0]).replace(/^\/$/, '/index.html'));
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': extname(file) === '.html' ? 'text/html' : 'text/javascript' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
}, 180_000);

afterAll(async () => {
  await new Promise(resolve => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

test('decodes in Chromium, main thread and Web Worker, with lazily loaded decoders', async () => {
  const chunks = readdirSync(join(dir, 'dist')).filter(f => f.endsWith('.js'));
  expect(chunks.length).toBeGreaterThan(1); // the entry plus lazily loaded chunks
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage']
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', e => errors.push(e.message));
    const requested: string[] = [];
    page.on('request', r => requested.push(r.url()));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    const scriptsBefore = requested.filter(u => u.endsWith('.js')).length;
    for (const name of CASES) {
      const c = fx.cases.find(k => k.name === name)!;
      const b64 = Buffer.from(fx.read(c)).toString('base64');
      const expected = Buffer.from(fx.expected(c.frames![0])).toString('base64');
      for (const where of ['decodeMain', 'decodeWorker']) {
        const result = await page.evaluate(
          ([fn, data]) => (window as unknown as Record<string, (b: string) => Promise<unknown>>)[fn](data),
          [where, b64] as const
        );
        expect({ name, where, ...(result as object), bytes: undefined }).toEqual({
          name,
          where,
          sampleType: c.sampleType,
          height: c.frames![0].height,
          width: c.frames![0].width,
          bytes: undefined
        });
        const got = Buffer.from((result as { bytes: string }).bytes, 'base64');
        const want = Buffer.from(expected, 'base64');
        const firstDiff = got.length === want.length ? got.findIndex((b, k) => b !== want[k]) : -2;
        expect({ name, where, firstDiff }).toEqual({ name, where, firstDiff: -1 });
      }
    }
    // Decoding Deflate fetched further chunks after the page had loaded.
    expect(requested.filter(u => u.endsWith('.js')).length).toBeGreaterThan(scriptsBefore);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
}, 180_000);
