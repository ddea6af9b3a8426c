import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
var t=class extends Error{constructor(s){super(s),this.name="UsageError"}},e={ok:0,failOn:1,usage:2};export{t as a,e as b};
