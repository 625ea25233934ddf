/** Values the global setup hands to every e2e file (`inject('baseUrl')`). */
declare module 'vitest' {
  export interface ProvidedContext {
    /** the running server's address, e.g. http://127.0.0.1:41234/ */
    baseUrl: string;
  }
}

export {};
