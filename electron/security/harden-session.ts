/**
 * Electron wiring of the security policies. The decisions themselves are plain functions
 * (navigation-policy.ts, permission-policy.ts), tested without Electron.
 */
import type { Session, WebContents } from 'electron';
import { decideNavigation, decideWindowOpen } from './navigation-policy';
import { decidePermissionCheck, decidePermissionRequest } from './permission-policy';

export type Log = (message: string) => void;

export function hardenSession(session: Session, log: Log): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = decidePermissionRequest({
      permission,
      requestingUrl: details.requestingUrl,
      isMainFrame: details.isMainFrame,
      mediaTypes: 'mediaTypes' in details ? details.mediaTypes : undefined,
    });
    if (!granted) log(`permission request denied: ${permission} from ${details.requestingUrl}`);
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    decidePermissionCheck({
      permission,
      requestingOrigin,
      requestingUrl: details.requestingUrl,
      isMainFrame: details.isMainFrame,
      mediaType: details.mediaType,
    }),
  );
  // WebHID, WebUSB, Web Serial: never.
  session.setDevicePermissionHandler(() => false);
}

export interface HardenWebContentsOptions {
  readonly openExternal: (url: string) => void;
  readonly log: Log;
}

/** Applied to every WebContents the app creates (app 'web-contents-created'). */
export function hardenWebContents(contents: WebContents, { openExternal, log }: HardenWebContentsOptions): void {
  contents.on('will-navigate', (event) => {
    const decision = decideNavigation(event.url);
    event.preventDefault();
    if (decision.openExternally) openExternal(decision.openExternally);
    else log(`navigation denied: ${event.url}`);
  });
  // Subframes (there should be none: CSP frame-src 'none') never navigate either.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) {
      event.preventDefault();
      log(`subframe navigation denied: ${event.url}`);
    }
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternally) openExternal(decision.openExternally);
    else log(`window.open denied: ${url}`);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('webview attach denied');
  });
}
