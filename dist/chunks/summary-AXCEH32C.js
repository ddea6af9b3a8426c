import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-OC4EWNYF.js";import"./chunk-CY2RA2XD.js";import"./chunk-7O47IMH7.js";import"./chunk-2C4SQSKF.js";import"./chunk-Z6B6U4YV.js";import"./chunk-JMO7KV6Q.js";import"./chunk-XRLWKBJM.js";import"./chunk-RWN4FJBZ.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
