/**
 * The panels of the app's tabbed area. Each import registers its panels (see `panels.ts`); a new
 * feature adds one line here.
 */
import './panels.css';
import './ConsolePanel';
import './tcp/register';
import './overload/register';
import './waterfall/register';
import './terminal/register';
import './faults/register';
