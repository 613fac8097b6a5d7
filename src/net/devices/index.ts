/** Registers every built-in device kind. Import once for its effect. */
import './host';
import './server';
import './switch';
import './hub';
import './router';
import './clients';
import './dns-server';
