/**
 * Saving an exported file: in Electron through the save dialog (window.guanmo.saveFile, IPC
 * dialog:save-file), in a browser through a Blob link download.
 */
export type SaveOutcome = { kind: 'saved'; path: string | null } | { kind: 'cancelled' } | { kind: 'failed'; message: string };

export async function saveBytes(bytes: Uint8Array<ArrayBuffer>, fileName: string, mime: string, filter: { name: string; extensions: string[] }): Promise<SaveOutcome> {
  const bridge = window.guanmo;
  if (bridge) {
    const outcome = await bridge.saveFile({ suggestedName: fileName, filters: [filter], content: bytes });
    if (!outcome.ok) return { kind: 'failed', message: outcome.error.message };
    return outcome.value.saved ? { kind: 'saved', path: outcome.value.path } : { kind: 'cancelled' };
  }
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: mime }));
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.rel = 'noopener';
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // the download has started from the click; give the browser a moment before revoking
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return { kind: 'saved', path: null };
}
