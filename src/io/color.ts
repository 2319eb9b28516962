/**
 * The one color parser of the extension (no DOM): `#rrggbb` or `#rrggbbaa` settings become
 * RGBA bytes. The viewer (invalid-pixel color) and the masks and crosshair use it alike.
 */

/** RGBA, each 0…255. */
export type RGBA = [number, number, number, number];

/**
 * Parse `#rrggbb` or `#rrggbbaa` (the `#` optional, case-insensitive, surrounding blanks
 * ignored). Anything else gives `fallback`.
 */
export function parseColor(text: string, fallback: RGBA): RGBA {
  const m = /^#?([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(text.trim());
  if (!m) {
    return [...fallback];
  }
  const v = parseInt(m[1], 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255, m[2] ? parseInt(m[2], 16) : 255];
}
