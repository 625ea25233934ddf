import { useSyncExternalStore } from 'react';

/**
 * Hash routes (#/ = the role's home, #/tours, #/tours/<id>, #/tours/<id>/stops/<stopId>, #/tours/<id>/ballot[/<group>], #/who, #/settings, #/sync): they work
 * the same under Electron's app:// protocol, behind the server at / and offline, with no
 * server-side route table.
 */
export type Route =
  /** `/` (empty hash): the signed-in role's home (landing.ts), never a page of its own */
  | { readonly name: 'home' }
  | { readonly name: 'tours' }
  | { readonly name: 'tour'; readonly tourId: string }
  | { readonly name: 'stop'; readonly tourId: string; readonly stopId: string }
  /** choose who uses the app on this device */
  | { readonly name: 'who' }
  | { readonly name: 'settings' }
  /** sign-in to the sync server, sync state and refused changes */
  | { readonly name: 'sync' }
  /** secretariat desk: tours to prepare (#/desk), one tour's editor, its live scoring board */
  | { readonly name: 'desk' }
  | { readonly name: 'deskTour'; readonly tourId: string }
  | { readonly name: 'deskBoard'; readonly tourId: string }
  /** the laptops still holding unsynced work of a tour (未同步的笔记本) */
  | { readonly name: 'deskDevices'; readonly tourId: string }
  /** rankings of a tour (secretariat; everyone read-only once results are published) and its printable bulletin (通报) */
  | { readonly name: 'rankings'; readonly tourId: string }
  | { readonly name: 'bulletin'; readonly tourId: string }
  /** a scorer's rank-vote ballot (排序投票) of one ranking list: a unit group, or null (all units / units without a group) */
  | { readonly name: 'ballot'; readonly tourId: string; readonly group: string | null }
  | { readonly name: 'notFound'; readonly path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '');
  if (path === '') return { name: 'home' };
  const parts = path.split('/').filter(Boolean);
  const [first, second, ...rest] = parts;
  if (first === 'tours' && second === undefined) return { name: 'tours' };
  if (first === 'tours' && second !== undefined && rest.length === 0) {
    const tourId = safeDecode(second);
    if (tourId) return { name: 'tour', tourId };
  }
  if (first === 'tours' && second !== undefined && rest.length === 2 && rest[0] === 'stops') {
    const tourId = safeDecode(second);
    const stopId = safeDecode(rest[1]!);
    if (tourId && stopId) return { name: 'stop', tourId, stopId };
  }
  if (first === 'desk' && second === undefined) return { name: 'desk' };
  if (first === 'desk' && second === 'tours' && (rest.length === 1 || (rest.length === 2 && (rest[1] === 'board' || rest[1] === 'devices')))) {
    const tourId = safeDecode(rest[0]!);
    if (tourId) return rest.length === 1 ? { name: 'deskTour', tourId } : rest[1] === 'board' ? { name: 'deskBoard', tourId } : { name: 'deskDevices', tourId };
  }
  if (first === 'tours' && second !== undefined && rest.length === 1 && (rest[0] === 'rankings' || rest[0] === 'bulletin')) {
    const tourId = safeDecode(second);
    if (tourId) return { name: rest[0], tourId };
  }
  if (first === 'tours' && second !== undefined && rest[0] === 'ballot' && rest.length <= 2) {
    const tourId = safeDecode(second);
    const group = rest.length === 2 ? safeDecode(rest[1]!) : null;
    if (tourId && (rest.length === 1 || group)) return { name: 'ballot', tourId, group };
  }
  if (first === 'who' && second === undefined) return { name: 'who' };
  if ((first === 'sync' || first === 'sign-in') && second === undefined) return { name: 'sync' };
  if ((first === 'settings' || first === 'about') && second === undefined) return { name: 'settings' };
  return { name: 'notFound', path };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'tours':
      return '#/tours';
    case 'tour':
      return `#/tours/${encodeURIComponent(route.tourId)}`;
    case 'stop':
      return `#/tours/${encodeURIComponent(route.tourId)}/stops/${encodeURIComponent(route.stopId)}`;
    case 'who':
      return '#/who';
    case 'settings':
      return '#/settings';
    case 'sync':
      return '#/sync';
    case 'desk':
      return '#/desk';
    case 'deskTour':
      return `#/desk/tours/${encodeURIComponent(route.tourId)}`;
    case 'deskBoard':
      return `#/desk/tours/${encodeURIComponent(route.tourId)}/board`;
    case 'deskDevices':
      return `#/desk/tours/${encodeURIComponent(route.tourId)}/devices`;
    case 'rankings':
      return `#/tours/${encodeURIComponent(route.tourId)}/rankings`;
    case 'bulletin':
      return `#/tours/${encodeURIComponent(route.tourId)}/bulletin`;
    case 'ballot':
      return `#/tours/${encodeURIComponent(route.tourId)}/ballot${route.group === null ? '' : `/${encodeURIComponent(route.group)}`}`;
    case 'notFound':
      return `#${route.path}`;
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function currentHash(): string {
  return window.location.hash;
}

/** The current route; re-renders on every hash change (links, back/forward). */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, currentHash, () => '');
  return parseRoute(hash);
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
