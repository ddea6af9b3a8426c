import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-3FQK6ERX.js";import"./chunk-MGVYV5DE.js";import"./chunk-Q4T5GVQZ.js";import"./chunk-2C4SQSKF.js";import"./chunk-OURTKQR7.js";import"./chunk-R6M66OIQ.js";import"./chunk-XRLWKBJM.js";import"./chunk-OWKSES2X.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
