// Screens few people open (the admin's, the supervisor's dashboard) load on first use, in chunks
// of their own, so the shell a field worker waits for stays inside its budget (DESIGN §8). The
// service worker precaches every chunk, so they open offline as the others do.
import { useEffect, useState } from 'preact/hooks';
import { NetworkError } from '../api.js';
import { html } from './html.js';
import { ErrorNote, Loading } from './kit.js';

/** A component that shows `name` of the module `load()` imports, loading it on first render. */
export function lazyView(load, name) {
  let loaded = null;
  return function LazyView(props) {
    const [state, setState] = useState({ component: loaded, error: null });
    const fetchModule = () => {
      setState({ component: null, error: null });
      load().then(
        (module) => setState({ component: (loaded = module[name]), error: null }),
        // a chunk that cannot be fetched is a network error to the user, with a retry
        () => setState({ component: null, error: new NetworkError() }),
      );
    };
    useEffect(() => {
      if (!loaded) fetchModule();
    }, []);
    if (state.error) return html`<${ErrorNote} error=${state.error} onRetry=${fetchModule} />`;
    return state.component ? html`<${state.component} ...${props} />` : html`<${Loading} />`;
  };
}
