import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b}from"./chunk-EUK5ICUB.js";import"./chunk-OWSA57Q3.js";import"./chunk-S5PSTBV6.js";import"./chunk-RLHBGX3A.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{b as routeAgents,a as routeInputOf};
