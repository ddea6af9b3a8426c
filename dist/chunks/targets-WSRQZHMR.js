import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-ANRGURKI.js";import"./chunk-OWSA57Q3.js";import"./chunk-H2MIXKNL.js";import"./chunk-OZJ4OJ24.js";export{a as TARGET_KEYS,f as applyPersonaSettings,e as applyTargets,c as renderTarget,d as renderTargets,b as sloFor};
