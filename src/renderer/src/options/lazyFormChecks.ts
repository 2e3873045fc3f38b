/**
 * The form's checks (formChecks.ts) as a lazily loaded part: the first
 * screen draws without zod, and the checks load once it is drawn, or when a
 * draft, a submit or the remembered targets first want them.
 */
import { preloadableModule, useLoadedModule } from '../app/preloadableLazy';

export type FormChecks = typeof import('./formChecks');

export const formChecks = preloadableModule<FormChecks>(() => import('./formChecks'));

/** The checks now when loaded, else once they are. */
export function loadedFormChecks(): FormChecks | Promise<FormChecks> {
  return formChecks.current() ?? formChecks.load();
}

/** The checks, once loaded (the component re-renders then); undefined before. */
export function useFormChecks(): FormChecks | undefined {
  return useLoadedModule(formChecks);
}
