import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
function r(e){return e.replace(/[\\^$.*+?()[\]{}|/-]/g,"\\$&")}export{r as a};
