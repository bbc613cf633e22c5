/** The query cache's public face: the client factory and the provider the app root mounts. */
export { createQueryClient } from './client';
export { QueryProvider } from './QueryProvider';
