import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-BBT762LM.js";import"./chunk-XFMLP2KB.js";import"./chunk-3BTDSRHX.js";import"./chunk-2C4SQSKF.js";import"./chunk-3VWICCCT.js";import"./chunk-GIT2Z7RM.js";import"./chunk-XRLWKBJM.js";import"./chunk-JRCNFZYC.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
