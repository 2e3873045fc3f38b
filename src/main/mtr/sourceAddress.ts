import { checkRoute } from '../net/checkRoute';

/** The source address the kernel would pick for `destination`, or null if there is no route. */
export async function findSourceAddress(destination: string, timeoutMs = 2000): Promise<string | null> {
  const route = await checkRoute(destination, timeoutMs);
  return route.routable ? route.source : null;
}
