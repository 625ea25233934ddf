import type { AnchorHTMLAttributes } from 'react';
import { routeHref, type Route } from './router';

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: Route };

/** A plain anchor to a hash route: back/forward, middle-click and keyboard all just work. */
export function Link({ to, ...rest }: LinkProps) {
  return <a href={routeHref(to)} {...rest} />;
}
