import { createContext, useContext } from 'react';
import type { DemoMode } from '../db/server-mode-repo';

export interface ServerModeValue {
  /** 'demo' only when the server this device talks to said so (see server-mode-repo.ts) */
  mode: DemoMode;
  /** the first answer (or the one after a change of server) is still awaited */
  isChecking: boolean;
}

/** Outside a ServerModeProvider (isolated component tests): nothing demo, nothing awaited. */
export const ServerModeContext = createContext<ServerModeValue>({ mode: 'unknown', isChecking: false });

/** Whether the server runs the demo: demo people, demo tours and the "who uses this computer" picker appear only in 'demo'. */
export function useServerMode(): ServerModeValue {
  return useContext(ServerModeContext);
}
