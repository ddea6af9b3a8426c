import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
var e={rules:{},overrides:[],pathsIgnore:[],minInlineSeverity:"medium",maxComments:30,slo:{availability:99.9,latencyP95Ms:1e3,paths:[]},cost:{},personas:{},failOn:"none",allowSelfSuppress:"medium"},t=[".github/preflight.yml",".preflight.yml"],r=".github/preflight-baseline.json";export{e as a,t as b,r as c};
