/**
 * Electron wiring for the app:// scheme. `registerAppScheme` must run before `app` is ready;
 * `serveAppProtocol` after, on the session the window uses.
 */
import { protocol, type Session } from 'electron';
import { APP_SCHEME } from '../config/app-origin';
import { createAppProtocolHandler, type AppProtocolOptions } from './app-protocol-handler';

export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: {
        // standard: real origin, relative URLs and IndexedDB/localStorage work as on http(s)
        standard: true,
        // secure: a secure context (crypto.subtle, getUserMedia for the camera)
        secure: true,
        supportFetchAPI: true,
        stream: true,
        codeCache: true,
        // Nothing else may load app:// resources, and there is no service worker in the app.
        corsEnabled: false,
        allowServiceWorkers: false,
        bypassCSP: false,
      },
    },
  ]);
}

export function serveAppProtocol(session: Session, options: AppProtocolOptions): void {
  session.protocol.handle(APP_SCHEME, createAppProtocolHandler(options));
}
