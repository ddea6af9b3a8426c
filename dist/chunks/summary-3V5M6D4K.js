import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-XNMKSPKL.js";import"./chunk-J2IVFHBD.js";import"./chunk-WBYNKPBW.js";import"./chunk-2C4SQSKF.js";import"./chunk-I2RHOQYG.js";import"./chunk-E3AGXTPD.js";import"./chunk-XRLWKBJM.js";import"./chunk-CT6Y5DER.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
