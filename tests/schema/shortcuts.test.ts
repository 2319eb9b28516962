/**
 * Every keyboard shortcut of schema/*.json must reach the extension in a real browser: none may
 * be a combination the browser keeps for itself (a page cannot prevent it, so the browser closes
 * the tab or window instead), nor one that JupyterLab's own defaults bind where the viewer lives
 * (issue 12 item 7: `Ctrl+Shift+W` for Write Center closed the window).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../io/fixtures.js';

interface Shortcut {
  command: string;
  keys: string[];
  selector: string;
  disabled?: boolean;
}

type Platform = 'linux/windows' | 'mac';

/**
 * Combinations browsers keep, by platform (modifiers in Lumino's spelling). Sources:
 * - Chromium `BrowserCommandController::IsReservedCommandOrKey`
 *   (chrome/browser/ui/browser_command_controller.cc): new window / incognito window / tab,
 *   close tab / window, restore tab, next / previous tab and quit are never sent to the page;
 *   their keys in chrome/browser/ui/views/accelerator_table.cc and Chrome's help page
 *   "Chrome keyboard shortcuts" (support.google.com/chrome/answer/157179).
 * - Firefox's keys marked `reserved="true"` (browser/base/content/browser-sets.inc) and the
 *   tab-switching keys of tabbrowser; "Keyboard shortcuts - Perform common Firefox tasks quickly"
 *   (support.mozilla.org/kb/keyboard-shortcuts-perform-firefox-tasks-quickly).
 * - JupyterLab binds its own Close Tab (`application:close`) to Alt+W, not Accel+W
 *   (packages/application-extension/schema/commands.json): Accel+W would close the browser tab.
 * - The desktop: Alt+F4 (Windows, GNOME, KDE close the window), Cmd+Q / Cmd+H / Cmd+M / Cmd+Tab
 *   (macOS quit, hide, minimise, switch application).
 */
const RESERVED: Record<Platform, Record<string, string>> = {
  'linux/windows': {
    'Ctrl W': 'close tab (Chrome, Firefox)',
    'Ctrl F4': 'close tab (Chrome, Firefox)',
    'Ctrl Shift W': 'close window (Chrome, Firefox)',
    'Ctrl T': 'new tab (Chrome, Firefox)',
    'Ctrl N': 'new window (Chrome, Firefox)',
    'Ctrl Shift N': 'new incognito window (Chrome) / reopen closed window (Firefox)',
    'Ctrl Shift P': 'new private window (Firefox)',
    'Ctrl Shift T': 'reopen closed tab (Chrome, Firefox)',
    'Ctrl Tab': 'next tab (Chrome, Firefox)',
    'Ctrl Shift Tab': 'previous tab (Chrome, Firefox)',
    'Ctrl PageDown': 'next tab (Chrome, Firefox)',
    'Ctrl PageUp': 'previous tab (Chrome, Firefox)',
    'Ctrl Shift Q': 'quit (Chrome on Linux, Firefox)',
    'Ctrl Q': 'quit (Firefox on Linux)',
    'Alt F4': 'close window (desktop)'
  },
  mac: {
    'Cmd W': 'close tab (Chrome, Firefox, Safari)',
    'Cmd Shift W': 'close window (Chrome, Firefox, Safari)',
    'Cmd T': 'new tab (Chrome, Firefox, Safari)',
    'Cmd N': 'new window (Chrome, Firefox, Safari)',
    'Cmd Shift N': 'new incognito window (Chrome) / reopen closed window (Firefox)',
    'Cmd Shift P': 'new private window (Firefox)',
    'Cmd Shift T': 'reopen closed tab (Chrome, Firefox, Safari)',
    'Cmd Alt W': 'close other tabs (Safari)',
    'Ctrl Tab': 'next tab (Chrome, Firefox, Safari)',
    'Ctrl Shift Tab': 'previous tab (Chrome, Firefox, Safari)',
    'Cmd Alt ArrowRight': 'next tab (Chrome, Firefox)',
    'Cmd Alt ArrowLeft': 'previous tab (Chrome, Firefox)',
    'Cmd Q': 'quit (macOS)',
    'Cmd H': 'hide (macOS)',
    'Cmd M': 'minimise (macOS)',
    'Cmd Tab': 'switch application (macOS)'
  }
};

/** JupyterLab's own shortcuts apply to the viewer when bound on one of its ancestors. */
const APPLIES_TO_VIEWER = new Set(['body', '.jp-LabShell', '.jp-Activity', '.jp-MainAreaWidget', '.jp-Document']);

const MODIFIERS = ['Ctrl', 'Cmd', 'Alt', 'Shift'];

/** One keystroke in a canonical spelling for a platform: `Accel` resolved, modifiers ordered. */
function canonical(stroke: string, platform: Platform): string {
  const parts = stroke.trim().split(/\s+/);
  const key = parts.pop()!;
  const mods = new Set(parts.map(p => (p === 'Accel' ? (platform === 'mac' ? 'Cmd' : 'Ctrl') : p)));
  for (const m of mods) {
    if (!MODIFIERS.includes(m)) {
      throw new Error(`unknown modifier "${m}" in "${stroke}"`);
    }
  }
  return [...MODIFIERS.filter(m => mods.has(m)), key.length === 1 ? key.toUpperCase() : key].join(' ');
}

function shortcutsOf(file: string): Shortcut[] {
  const schema = JSON.parse(readFileSync(file, 'utf8')) as { 'jupyter.lab.shortcuts'?: Shortcut[] };
  return (schema['jupyter.lab.shortcuts'] ?? []).filter(s => !s.disabled && s.keys.length > 0);
}

const schemaDir = join(repoRoot, 'schema');
const ours = readdirSync(schemaDir)
  .filter(f => f.endsWith('.json'))
  .flatMap(f => shortcutsOf(join(schemaDir, f)).map(s => ({ ...s, file: `schema/${f}` })));

/** JupyterLab's defaults, from the installed `@jupyterlab/*-extension` packages. */
function jupyterLabDefaults(): Array<Shortcut & { file: string }> {
  const scope = join(repoRoot, 'node_modules', '@jupyterlab');
  const found: Array<Shortcut & { file: string }> = [];
  for (const pkg of readdirSync(scope).filter(p => p.endsWith('-extension'))) {
    const dir = join(scope, pkg, 'schema');
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter(f => f.endsWith('.json'));
    } catch {
      continue; // no schema folder
    }
    for (const f of files) {
      found.push(...shortcutsOf(join(dir, f)).map(s => ({ ...s, file: `@jupyterlab/${pkg}/schema/${f}` })));
    }
  }
  return found;
}

describe('keyboard shortcuts of schema/*.json', () => {
  test('there are shortcuts to check, among them Write Center', () => {
    expect(ours.length).toBeGreaterThan(10);
    expect(ours.map(s => s.command)).toContain('diffraction:write-center');
  });

  test.each(['linux/windows', 'mac'] as Platform[])('none is kept by the browser or the desktop (%s)', platform => {
    const clashes = ours.flatMap(s => {
      const first = canonical(s.keys[0], platform);
      const why = RESERVED[platform][first];
      return why ? [`${s.command} (${s.file}): ${s.keys.join(', ')} is ${first}, ${why}`] : [];
    });
    expect(clashes).toEqual([]);
  });

  test("none takes a key JupyterLab's own defaults bind where the viewer lives", () => {
    const defaults = jupyterLabDefaults();
    expect(defaults.length).toBeGreaterThan(100); // the scan found JupyterLab's schemas
    for (const platform of ['linux/windows', 'mac'] as Platform[]) {
      const taken = new Map<string, string>();
      for (const d of defaults.filter(d => APPLIES_TO_VIEWER.has(d.selector))) {
        taken.set(d.keys.map(k => canonical(k, platform)).join(', '), `${d.command} (${d.file})`);
      }
      const clashes = ours.flatMap(s => {
        const keys = s.keys.map(k => canonical(k, platform)).join(', ');
        return taken.has(keys) ? [`${s.command}: ${keys} is JupyterLab's ${taken.get(keys)}`] : [];
      });
      expect(clashes).toEqual([]);
    }
  });

  test('the check itself refuses the combinations of the issue', () => {
    expect(RESERVED['linux/windows'][canonical('Accel Shift W', 'linux/windows')]).toMatch(/close window/);
    expect(RESERVED.mac[canonical('Accel Shift W', 'mac')]).toMatch(/close window/);
    expect(RESERVED['linux/windows'][canonical('Ctrl W', 'linux/windows')]).toMatch(/close tab/);
    expect(canonical('Shift Accel t', 'mac')).toBe('Cmd Shift T');
  });
});
