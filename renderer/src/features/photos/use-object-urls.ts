import { useEffect, useLayoutEffect, useRef, useState } from 'react';

/**
 * Object URLs for Blobs keyed by something stable (a sha256): a URL is created once per key and
 * reused while the key stays, revoked when the key goes and on unmount, so a gallery that
 * re-renders never leaks or re-decodes images.
 */
export function useObjectUrls(blobs: ReadonlyMap<string, Blob> | undefined): ReadonlyMap<string, string> {
  const cache = useRef(new Map<string, string>());
  const [urls, setUrls] = useState<ReadonlyMap<string, string>>(() => new Map());

  // a layout effect: the URLs are in place before the browser paints, so a gallery is painted
  // once with its images rather than first empty
  useLayoutEffect(() => {
    if (!blobs) return;
    const next = new Map<string, string>();
    for (const [key, blob] of blobs) next.set(key, cache.current.get(key) ?? URL.createObjectURL(blob));
    for (const [key, url] of cache.current) if (!next.has(key)) URL.revokeObjectURL(url);
    cache.current = next;
    setUrls(next);
  }, [blobs]);

  useEffect(
    () => () => {
      for (const url of cache.current.values()) URL.revokeObjectURL(url);
      cache.current = new Map();
    },
    [],
  );

  return urls;
}

/** One object URL for one Blob (or null), revoked when the Blob changes and on unmount. */
export function useObjectUrl(blob: Blob | null | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) {
      setUrl(null);
      return;
    }
    const created = URL.createObjectURL(blob);
    setUrl(created);
    return () => URL.revokeObjectURL(created);
  }, [blob]);
  return url;
}
