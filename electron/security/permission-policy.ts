/**
 * Web permissions the renderer may use: an explicit allowlist, everything else denied.
 *
 * - media (video only): the camera, to take site photos. No microphone.
 * - fullscreen: the map and photo viewer.
 * - clipboard-sanitized-write: "copy" buttons (rankings, addresses).
 * - persistent-storage: navigator.storage.persist(), so Chromium never evicts the IndexedDB
 *   that holds unsynced score sheets and photos.
 *
 * A permission is granted only to our own app:// page, in its main frame.
 */
import { isAppUrl } from '../config/app-origin';

export const ALLOWED_PERMISSIONS = [
  'media',
  'fullscreen',
  'clipboard-sanitized-write',
  'persistent-storage',
] as const;
export type AllowedPermission = (typeof ALLOWED_PERMISSIONS)[number];

function isAllowedPermission(permission: string): permission is AllowedPermission {
  return (ALLOWED_PERMISSIONS as readonly string[]).includes(permission);
}

export interface PermissionRequestInput {
  readonly permission: string;
  /** URL of the requesting frame (Electron: details.requestingUrl) */
  readonly requestingUrl: string | undefined;
  readonly isMainFrame: boolean;
  /** for `media`: what is being asked for (Electron: details.mediaTypes) */
  readonly mediaTypes?: readonly string[] | undefined;
}

/** setPermissionRequestHandler: grant or deny a request (a prompt in a browser). */
export function decidePermissionRequest(input: PermissionRequestInput): boolean {
  if (!isAllowedPermission(input.permission)) return false;
  if (!input.isMainFrame || !isAppUrl(input.requestingUrl)) return false;
  if (input.permission === 'media') {
    const types = input.mediaTypes ?? [];
    return types.length > 0 && types.every((t) => t === 'video');
  }
  return true;
}

export interface PermissionCheckInput {
  readonly permission: string;
  /** the origin Electron passes as `requestingOrigin` */
  readonly requestingOrigin: string;
  readonly requestingUrl?: string | undefined;
  readonly isMainFrame: boolean;
  /** for `media`: 'video' | 'audio' | 'unknown' */
  readonly mediaType?: string | undefined;
}

/** setPermissionCheckHandler: synchronous "is this already granted?" queries. */
export function decidePermissionCheck(input: PermissionCheckInput): boolean {
  if (!isAllowedPermission(input.permission)) return false;
  if (!input.isMainFrame || !isAppUrl(input.requestingOrigin)) return false;
  if (input.requestingUrl !== undefined && !isAppUrl(input.requestingUrl)) return false;
  if (input.permission === 'media') return input.mediaType === 'video';
  return true;
}
