import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{l as a,m as b,n as c,o as d}from"./chunk-Z5VNKNW7.js";import"./chunk-IB64RN5T.js";import"./chunk-XRLWKBJM.js";import"./chunk-FCH52IWS.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as STATUS_ICON,b as buildDeterministicPlan,d as checklistTable,c as renderPlan};
