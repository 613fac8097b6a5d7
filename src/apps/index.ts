/**
 * Registers every built-in program. Import once for its effect. The simulation worker's bundle
 * replaces this module with `light.ts` and loads the programs below only for a scene that runs them
 * (`runner/on-demand.ts`, which lists the same programs).
 */
import './light';
import './curl/curl';
import './http-server/http-server';
import './page-load/page-load';
import './h3-server/h3-server';
import './reverse-proxy/reverse-proxy';
