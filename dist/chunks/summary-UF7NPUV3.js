import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-OI25JINK.js";import"./chunk-GEVHKPPY.js";import"./chunk-TQDGML36.js";import"./chunk-2C4SQSKF.js";import"./chunk-EI5OKE4S.js";import"./chunk-ZWZLDB7L.js";import"./chunk-AU7TF4JB.js";import"./chunk-56W6FB33.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
