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
