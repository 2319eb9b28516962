/** Bytes to and from the base64 text of the server's contents API (no DOM needed). */

/** Decode the base64 text the contents API delivers into bytes, once. */
export function base64ToArrayBuffer(text: string): ArrayBuffer {
  const fromBase64 = (Uint8Array as any).fromBase64 as ((s: string) => Uint8Array) | undefined;
  if (fromBase64) {
    // The native decoder skips ASCII whitespace itself (the server wraps lines every 76 chars),
    // so the 40 MB string of a 4096² image is not copied once more to strip newlines.
    const bytes = fromBase64(text);
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? (bytes.buffer as ArrayBuffer)
      : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  }
  const binary = atob(text.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes.buffer;
}

/** Encode bytes as base64 for the contents API (chunked: no huge argument lists). */
export function bytesToBase64(bytes: Uint8Array): string {
  const toBase64 = (bytes as any).toBase64 as (() => string) | undefined;
  if (toBase64) {
    return toBase64.call(bytes);
  }
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}
