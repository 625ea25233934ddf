/**
 * Decisions for navigation and new windows, as plain functions of the target URL.
 *
 * What must stay true: the window never navigates away from the app and never opens another
 * Electron window. A link to an http(s) page goes to the system browser instead; anything
 * else is dropped.
 */
import { toSafeExternalUrl } from './external-url';

export interface NavigationDecision {
  /** always true: navigation (will-navigate) and window.open are never allowed in-app */
  readonly deny: true;
  /** the URL to hand to the system browser, or null to drop the request */
  readonly openExternally: string | null;
}

/** will-navigate: a full page load was requested (link without target, location.href = …). */
export function decideNavigation(targetUrl: string): NavigationDecision {
  return { deny: true, openExternally: toSafeExternalUrl(targetUrl) };
}

/** setWindowOpenHandler: window.open or a target=_blank link. */
export function decideWindowOpen(targetUrl: string): NavigationDecision {
  return { deny: true, openExternally: toSafeExternalUrl(targetUrl) };
}
