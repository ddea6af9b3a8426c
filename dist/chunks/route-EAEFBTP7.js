import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b}from"./chunk-5K3UGNWP.js";import"./chunk-UGDIOZNL.js";import"./chunk-RLHBGX3A.js";import"./chunk-OWSA57Q3.js";import"./chunk-TLIJSXQG.js";import"./chunk-7MKXSD5K.js";import"./chunk-PBWMPYTZ.js";import"./chunk-OZJ4OJ24.js";export{b as routeAgents,a as routeInputOf};
