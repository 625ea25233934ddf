export type ElectronRuntimeCheck =
  | {
      readonly available: true;
      readonly reason: string;
      /** absolute path of the Electron executable to spawn with the project folder as argument */
      readonly executablePath: string;
      readonly version: string | null;
    }
  | { readonly available: false; readonly reason: string };

export interface ElectronRuntimeCheckOptions {
  /** folder whose node_modules holds electron (default: process.cwd()) */
  readonly projectRoot?: string;
  readonly env?: Record<string, string | undefined>;
  readonly platform?: string;
}

export function platformExecutablePath(platform?: string): string;
export function checkElectronRuntime(options?: ElectronRuntimeCheckOptions): ElectronRuntimeCheck;
