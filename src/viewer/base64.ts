/** Decode the base64 text the contents API delivers into bytes, once. */
export function base64ToArrayBuffer(text: string): ArrayBuffer {
  const clean = text.replace(/\s+/g, '');
  const fromBase64 = (Uint8Array as any).fromBase64 as ((s: string) => Uint8Array) | undefined;
  if (fromBase64) {
    const bytes = fromBase64(clean);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  const binary = atob(clean);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes.buffer;
}
