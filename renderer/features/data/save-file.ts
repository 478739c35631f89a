/** Saves bytes or text as a file through the browser's download (works in Electron and the web). */
export function saveFile(name: string, contents: BlobPart, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([contents], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // revoked after the click has handed the object to the download
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Saves base64 contents (an attachment as the core sends it) as a file. */
export function saveBase64(name: string, base64: string): void {
  saveFile(
    name,
    Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)),
  );
}
